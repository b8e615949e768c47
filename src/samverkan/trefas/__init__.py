"""Trefas (förstärkt samverkan): targeted collaboration against lethal violence.

Forums of the city's district social services, Kriminalvården and the police keep a list of
the people most at risk of killing or being killed, rated green / yellow / red; meet every
third week with jurists present; share only what a jurist approved under a statutory
basis (the disclosure register in ``consent``); act together after an incident; prepare
releases; and open the way out (a SIG intake or an exit programme). The forum decision
(``decision.TrefasAccess``) is the one place that says who sees and does what in a forum.
"""
