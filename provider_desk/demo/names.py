"""The demo's fictional names and places, shared by every area's demo data."""

from __future__ import annotations

FIRST = (  # noqa: SIM905 (a word list reads better as text)
    "Amy Olivia Grace Sophie Chloe Emily Jessica Lauren Hannah Megan Charlotte Rebecca Aisha "
    "Fatima Priya Zainab Joanna Agnieszka Magdalena Ewa Chiamaka Ngozi Blessing Precious Abena "
    "Mary Susan Karen Julie Tracey Dawn Michelle Joanne Claire Nicola Sarah Helen Lisa Gemma "
    "Kelly Leanne Zoë Siobhan Niamh Bethan Rhiannon James Daniel Thomas Oliver Mohammed Ali "
    "Tomasz Piotr Kwame Emeka David Paul Mark Andrew Ryan Liam Connor Joseph Samuel Adebayo"
).split()
LAST = (  # noqa: SIM905 (a word list reads better as text)
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Begum Hussain Ahmed "
    "Kowalska Nowak Wiśniewska Okafor Mensah Adeyemi Boateng O'Brien Murphy Kelly McCarthy "
    "Campbell Stewart Hughes Edwards Lewis Harris Martin Cooper King Lee Baker Turner Hill "
    "Moore Ward Morris Bell Mitchell Shaw Lloyd Price Bennett Griffiths Chapman Ellis Marshall "
    "Russell"
).split()
TEAMS = ("North", "South", "Town centre", "Rural", "Nights")
STREETS = ("Mill Lane", "Church Street", "Station Road", "Park Avenue", "Victoria Road",
           "Green Close", "The Crescent", "Orchard Way", "Meadow View", "King Street")  # fmt: skip
# Complainants and people who send compliments.
FAMILY = (
    "Mrs Brown",
    "Mr Patel",
    "Ms Okafor",
    "Mr Hughes",
    "Mrs Kowalska",
    "Mr Davies",
    "Mrs Ahmed",
    "Ms Murphy",
    "Mr Clarke",
    "Mrs Lloyd",
)
MANAGER = ("Joanna", "Whitfield")
