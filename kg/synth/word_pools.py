"""Neutral phrases in the domain's words, paired nl/en, that synthetic records combine freely.

They describe no real practice: every title also carries the practice's number, and every
text says it is synthetic.
"""

from __future__ import annotations

__all__ = ["ACTIVITIES", "GOALS", "LESSONS", "ORG_KINDS", "QUALIFIERS", "ROLES_ORG"]

ACTIVITIES = [
    ("Repaircafé", "Repair café"),
    ("Deelplatform voor gereedschap", "Tool-sharing platform"),
    ("Circulair aankoopbeleid", "Circular procurement policy"),
    ("Inzameling van bio-afval", "Collection of organic waste"),
    ("Hergebruik van bouwmaterialen", "Reuse of building materials"),
    ("Ontharding van pleinen", "Depaving of squares"),
    ("Regenwateropvang bij scholen", "Rainwater harvesting at schools"),
    ("Tweedehandsmarkt voor textiel", "Second-hand textile market"),
    ("Korte-ketenmarkt", "Short food chain market"),
    ("Circulaire bedrijventerreinen", "Circular business parks"),
    ("Sensibiliseringscampagne rond afvalpreventie", "Awareness campaign on waste prevention"),
    ("Lerend netwerk circulaire economie", "Learning network on the circular economy"),
    ("Begeleidingstraject voor lokale ondernemers", "Coaching trajectory for local entrepreneurs"),
    ("Monitoring van materiaalstromen", "Monitoring of material flows"),
    ("Herstelpunt voor elektronica", "Repair point for electronics"),
    ("Voedseloverschotten herverdelen", "Redistributing food surpluses"),
]
QUALIFIERS = [
    ("in de stadskern", "in the town centre"),
    ("voor scholen", "for schools"),
    ("met de sociale economie", "with the social economy"),
    ("voor verenigingen", "for associations"),
    ("in samenwerking met buurgemeenten", "together with neighbouring municipalities"),
    ("voor lokale handelaars", "for local shopkeepers"),
    ("op bedrijventerreinen", "on business parks"),
    ("voor inwoners", "for residents"),
]
GOALS = [
    ("Minder restafval per inwoner", "Less residual waste per inhabitant"),
    ("Meer hergebruik van materialen", "More reuse of materials"),
    ("Lokale jobs in de circulaire economie", "Local jobs in the circular economy"),
    ("Inwoners betrekken bij circulaire initiatieven", "Involving residents in circular initiatives"),
    ("Circulaire criteria in elke aanbesteding", "Circular criteria in every tender"),
    ("Minder verharde oppervlakte", "Less sealed surface"),
]
LESSONS = [
    ("Een trekker met mandaat maakt het verschil", "A lead with a mandate makes the difference"),
    ("Betrek diensten van bij de start", "Involve departments from the start"),
    ("Communiceer resultaten zichtbaar", "Communicate results visibly"),
    ("Werk samen met bestaande verenigingen", "Work with existing associations"),
    ("Reken op personeelswissels", "Expect staff changes"),
    ("Onderschat de doorlooptijd niet", "Do not underestimate the lead time"),
    ("Zorg voor structurele financiering", "Secure structural funding"),
]
ORG_KINDS = [  # (organisatietype code, nl name stem, en name stem)
    ("intercommunale", "Intercommunale", "Intermunicipal company"),
    ("adviesbureau", "Adviesbureau", "Consultancy"),
    ("kennisinstelling", "Kenniscentrum", "Knowledge centre"),
    ("middenveld", "Vereniging", "Association"),
    ("onderneming", "Onderneming", "Company"),
    ("federatie", "Federatie", "Federation"),
    ("samenwerkingsverband", "Platform", "Platform"),
]
ROLES_ORG = ["trekker", "partner", "partner", "coach", "financier", "deelnemer", "begeleider", "klankbord"]
