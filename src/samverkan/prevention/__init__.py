"""The municipality's crime prevention under lag (2023:196): the lägesbild (situation
report, 4 §) with its prioritised problems, the åtgärdsplan (prevention plan) whose
measures each name the problem they address, and the coordinating function with its
yearly cycle (picture → plan → follow-up). Aggregates and documents; no personal data
beyond who wrote and decided what."""
