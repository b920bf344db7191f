"""The restricted expression language diagrams are written in (conditions, timers, outputs): its
syntax, its limits, its interpreter, and deadlines in Russian words.
"""
