"""Teaching: the lessons' exercises, the Living Lab game, the explorers and coursework grading.

May import: every other layer; nothing imports it (the top layer).
"""
