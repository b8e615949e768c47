"""The city-police collaboration agreement (samverkansöverenskommelse) and its local
versions per police area: parties and signatories, prioritised problems from the joint
picture, each party's commitments with their follow-up, the citizen promises
(medborgarlöften) made within it with their progress, the police presence it promises,
and the forums it starts with business, civil society and agencies."""
