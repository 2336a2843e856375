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
}
