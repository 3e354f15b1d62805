"""What selection announces to later apps of the chain, which own their reactions to it."""

from django.dispatch import Signal

# Sent inside the accepting transaction with offer=, participant= and training_class=; learning
# enrols the participant (a receiver that fails rolls the acceptance back).
seat_accepted = Signal()
