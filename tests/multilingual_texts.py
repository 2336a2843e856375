"""One small problem solved in every table language, shared by the prompt and reward tests."""

PIVOT = "Janet's ducks lay 16 eggs per day. She eats 3. How many are left?"
REASONING = {
    "bn": "জ্যানেটের হাঁস প্রতিদিন ১৬টি ডিম দেয়। সে ৩টি খায়, তাই ১৬ - ৩ = ১৩টি থাকে। উত্তর হল ১৩।",
    "de": "Janets Enten legen 16 Eier. Sie isst 3, also bleiben 16 - 3 = 13. Die Antwort lautet 13.",
    "en": "Janet's ducks lay 16 eggs. She eats 3, so 16 - 3 = 13 are left. The answer is 13.",
    "es": "Los patos de Janet ponen 16 huevos. Ella come 3, así que quedan 16 - 3 = 13. La respuesta es 13.",
    "fr": "Les canes de Janet pondent 16 œufs. Elle en mange 3, il en reste 16 - 3 = 13. La réponse est 13.",
    "ja": "ジャネットのアヒルは16個の卵を産みます。3個食べるので、16 - 3 = 13個残ります。答えは13です。",
    "ru": "Утки Джанет несут 16 яиц. Она съедает 3, значит, остаётся 16 - 3 = 13. Ответ — 13.",
    "sw": "Bata wa Janet hutaga mayai 16. Anakula 3, kwa hiyo yanabaki 16 - 3 = 13. Jibu ni 13.",
    "te": "జానెట్ బాతులు 16 గుడ్లు పెడతాయి. ఆమె 3 తింటుంది, కాబట్టి 16 - 3 = 13 మిగులుతాయి. సమాధానం 13.",
    "th": "เป็ดของเจเน็ตออกไข่ 16 ฟอง เธอกิน 3 ฟอง จึงเหลือ 16 - 3 = 13 ฟอง คำตอบคือ 13",
    "zh": "珍妮特的鸭子每天下16个蛋。她吃了3个，所以剩下16 - 3 = 13个。答案是 13。",
    "ar": "يضع بط جانيت 16 بيضة يوميًا. تأكل 3 منها، فيبقى 16 - 3 = 13 بيضة. الإجابة هي 13.",
    "id": "Bebek Janet bertelur 16 butir setiap hari. Dia memakan 3 butir, jadi tersisa 16 - 3 = 13 butir. Jawabannya adalah 13.",
    "it": "Le anatre di Janet depongono 16 uova al giorno. Lei ne mangia 3, quindi ne restano 16 - 3 = 13. La risposta è 13.",
    "ko": "재닛의 오리는 하루에 알을 16개 낳습니다. 그녀가 3개를 먹으므로 16 - 3 = 13개가 남습니다. 답은 13입니다.",
    "ms": "Itik Janet bertelur 16 biji sehari. Dia makan 3 biji, maka tinggal 16 - 3 = 13 biji. Jawapannya ialah 13.",
    "pt": "As patas de Janet põem 16 ovos por dia. Ela come 3, então sobram 16 - 3 = 13 ovos. A resposta é 13.",
    "vi": "Đàn vịt của Janet đẻ 16 quả trứng mỗi ngày. Cô ấy ăn 3 quả, nên còn lại 16 - 3 = 13 quả. Đáp án là 13.",
}
