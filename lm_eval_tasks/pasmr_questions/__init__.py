"""The pasmr_questions template: PASMR tasks on your own questions, in any table or language-pack language."""
