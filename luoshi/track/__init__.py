"""Tracking: the indicator catalog and its linking (catalog, match, normalize, validate), checks
across plans (checks, rules), and the judgement of progress against schedule (goals, schedule,
lights, forecast) that monthly dispatch builds on."""
