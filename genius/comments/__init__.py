"""Comment threads on ideas and on challenges (questions to the champion)."""
