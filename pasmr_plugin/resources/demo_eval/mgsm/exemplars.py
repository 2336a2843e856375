"""Demo exemplars for pasmr-plugin, in the layout of MGSM's exemplars.py (written for the project)."""

EXEMPLAR_NUMBER_ANSWERS = [12, 5]

MGSM_EXEMPLARS = {
    "bn": {
        "1": {
            "q": "প্রশ্ন: লিনার কাছে 2টি বাক্স আছে, প্রতিটি বাক্সে 6টি ডিম। তার কাছে কতগুলি ডিম আছে?",
            "a": "ধাপে ধাপে উত্তর: প্রতিটি বাক্সে 6টি ডিম আছে, তাই তার কাছে 2 × 6 = 12টি ডিম আছে। উত্তর হল 12।",
        },
        "2": {
            "q": "প্রশ্ন: একটি গাছে 9টি পাখি আছে এবং 4টি উড়ে যায়। গাছে কতগুলি পাখি বাকি আছে?",
            "a": "ধাপে ধাপে উত্তর: 9টি পাখির মধ্যে 4টি উড়ে যায়, তাই 9 - 4 = 5টি পাখি বাকি আছে। উত্তর হল 5।",
        },
    },
    "de": {
        "1": {
            "q": "Frage: Lina hat 2 Schachteln mit je 6 Eiern. Wie viele Eier hat sie?",
            "a": "Schritt-für-Schritt-Antwort: Jede Schachtel enthält 6 Eier, also hat sie 2 × 6 = 12 Eier. Die Antwort lautet 12.",
        },
        "2": {
            "q": "Frage: Auf einem Baum sitzen 9 Vögel und 4 fliegen weg. Wie viele Vögel bleiben auf dem Baum?",
            "a": "Schritt-für-Schritt-Antwort: 4 der 9 Vögel fliegen weg, also bleiben 9 - 4 = 5 Vögel. Die Antwort lautet 5.",
        },
    },
    "en": {
        "1": {
            "q": "Question: Lina has 2 boxes with 6 eggs in each box. How many eggs does she have?",
            "a": "Step-by-Step Answer: Each box has 6 eggs, so she has 2 × 6 = 12 eggs. The answer is 12.",
        },
        "2": {
            "q": "Question: There are 9 birds on a tree and 4 fly away. How many birds are left on the tree?",
            "a": "Step-by-Step Answer: 4 of the 9 birds fly away, so 9 - 4 = 5 birds are left. The answer is 5.",
        },
    },
    "es": {
        "1": {
            "q": "Pregunta: Lina tiene 2 cajas con 6 huevos en cada una. ¿Cuántos huevos tiene?",
            "a": "Respuesta paso a paso: Cada caja tiene 6 huevos, así que tiene 2 × 6 = 12 huevos. La respuesta es 12.",
        },
        "2": {
            "q": "Pregunta: Hay 9 pájaros en un árbol y 4 se van volando. ¿Cuántos pájaros quedan en el árbol?",
            "a": "Respuesta paso a paso: 4 de los 9 pájaros se van volando, así que quedan 9 - 4 = 5 pájaros. La respuesta es 5.",
        },
    },
    "fr": {
        "1": {
            "q": "Question : Lina a 2 boîtes de 6 œufs chacune. Combien d'œufs a-t-elle ?",
            "a": "Réponse étape par étape : Chaque boîte contient 6 œufs, donc elle a 2 × 6 = 12 œufs. La réponse est 12.",
        },
        "2": {
            "q": "Question : Il y a 9 oiseaux sur un arbre et 4 s'envolent. Combien d'oiseaux reste-t-il sur l'arbre ?",
            "a": "Réponse étape par étape : 4 des 9 oiseaux s'envolent, donc il reste 9 - 4 = 5 oiseaux. La réponse est 5.",
        },
    },
    "ja": {
        "1": {
            "q": "問題： リナは卵が6個ずつ入った箱を2箱持っています。リナは卵を何個持っていますか？",
            "a": "ステップごとの答え： 1箱に卵が6個入っているので、2 × 6 = 12個です。答えは12です。",
        },
        "2": {
            "q": "問題： 木に鳥が9羽いて、4羽が飛んでいきます。木には鳥が何羽残っていますか？",
            "a": "ステップごとの答え： 9羽のうち4羽が飛んでいくので、9 - 4 = 5羽残ります。答えは5です。",
        },
    },
    "ru": {
        "1": {
            "q": "Задача: У Лины 2 коробки, в каждой по 6 яиц. Сколько у неё яиц?",
            "a": "Пошаговое решение: В каждой коробке 6 яиц, значит, у неё 2 × 6 = 12 яиц. Ответ — 12.",
        },
        "2": {
            "q": "Задача: На дереве сидят 9 птиц, и 4 улетают. Сколько птиц осталось на дереве?",
            "a": "Пошаговое решение: Из 9 птиц 4 улетают, значит, осталось 9 - 4 = 5 птиц. Ответ — 5.",
        },
    },
    "sw": {
        "1": {
            "q": "Swali: Lina ana masanduku 2 yenye mayai 6 kila moja. Ana mayai mangapi?",
            "a": "Jibu la Hatua kwa Hatua: Kila sanduku lina mayai 6, kwa hiyo ana 2 × 6 = mayai 12. Jibu ni 12.",
        },
        "2": {
            "q": "Swali: Kuna ndege 9 juu ya mti na 4 wanaruka. Wamebaki ndege wangapi juu ya mti?",
            "a": "Jibu la Hatua kwa Hatua: Ndege 4 kati ya 9 wanaruka, kwa hiyo wamebaki 9 - 4 = ndege 5. Jibu ni 5.",
        },
    },
    "te": {
        "1": {
            "q": "ప్రశ్న: లీనా దగ్గర 2 పెట్టెలు ఉన్నాయి, ఒక్కో పెట్టెలో 6 గుడ్లు ఉన్నాయి. ఆమె దగ్గర ఎన్ని గుడ్లు ఉన్నాయి?",
            "a": "దశలవారీగా సమాధానం: ఒక్కో పెట్టెలో 6 గుడ్లు ఉన్నాయి, కాబట్టి ఆమె దగ్గర 2 × 6 = 12 గుడ్లు ఉన్నాయి. సమాధానం 12.",
        },
        "2": {
            "q": "ప్రశ్న: ఒక చెట్టు మీద 9 పక్షులు ఉన్నాయి, వాటిలో 4 ఎగిరిపోతాయి. చెట్టు మీద ఎన్ని పక్షులు మిగిలాయి?",
            "a": "దశలవారీగా సమాధానం: 9 పక్షులలో 4 ఎగిరిపోతాయి, కాబట్టి 9 - 4 = 5 పక్షులు మిగిలాయి. సమాధానం 5.",
        },
    },
    "th": {
        "1": {
            "q": "โจทย์: ลีนามีกล่อง 2 กล่อง แต่ละกล่องมีไข่ 6 ฟอง เธอมีไข่กี่ฟอง",
            "a": "คำตอบทีละขั้นตอน: แต่ละกล่องมีไข่ 6 ฟอง ดังนั้นเธอมีไข่ 2 × 6 = 12 ฟอง คำตอบคือ 12",
        },
        "2": {
            "q": "โจทย์: มีนก 9 ตัวอยู่บนต้นไม้ และบินหนีไป 4 ตัว เหลือนกบนต้นไม้กี่ตัว",
            "a": "คำตอบทีละขั้นตอน: นก 4 ตัวจาก 9 ตัวบินหนีไป ดังนั้นเหลือนก 9 - 4 = 5 ตัว คำตอบคือ 5",
        },
    },
    "zh": {
        "1": {
            "q": "问题： 莉娜有2个盒子，每个盒子里有6个鸡蛋。她有多少个鸡蛋？",
            "a": "逐步解答： 每个盒子里有6个鸡蛋，所以她有2 × 6 = 12个鸡蛋。答案是 12。",
        },
        "2": {
            "q": "问题： 树上有9只鸟，飞走了4只。树上还剩下多少只鸟？",
            "a": "逐步解答： 9只鸟中飞走了4只，所以还剩下9 - 4 = 5只鸟。答案是 5。",
        },
    },
}
