"""Tracking across plans: the indicator catalog that names the same indicator across plans
(`catalog`), and checks that compare plans' targets with each other (`checks`)."""
