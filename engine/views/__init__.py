"""Read models for pages: the inbox task, the task form, the message card and registry, a case on its
diagram, procedures and their card, the comparison of regions, the heatmap.
"""
