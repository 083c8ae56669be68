"""`make mutate`: mutation testing of the rules that decide money and fairness (see README.md)."""
