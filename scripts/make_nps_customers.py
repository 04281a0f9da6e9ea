#!/usr/bin/env python3
"""Make scenarios/data/nps_customers.csv: a small synthetic customer file for
scenarios/nps_launch.toml on Zachary's karate club (scenarios/data/karate.edges).

Standard library only and seeded, so running it again writes the same bytes:

    python3 scripts/make_nps_customers.py > scenarios/data/nps_customers.csv

Who is a customer: each of the 34 members with probability 0.5 (a club shop
whose customers are half the club). Their Net Promoter score: 0-10 drawn from
a skewed distribution (a third promoters, about a fifth detractors, which is a
typical consumer NPS of about +10). Cost: what each would ask to be an
ambassador, 1 plus 0.2 per friend in the club (popular members ask more),
rounded to 0.1. The club's instructor (1) and president (34) are not customers
here, so the campaign has to work through the customers it has.
"""
import random

EDGES = "scenarios/data/karate.edges"


def main():
    rng = random.Random(20240)
    degree = {}
    with open(EDGES) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            u, v = line.split()[:2]
            for x in (u, v):
                degree[x] = degree.get(x, 0) + 1
    print("# Synthetic customers of a karate-club shop: made by scripts/make_nps_customers.py (seeded).")
    print("id,nps,cost")
    for node in sorted(degree, key=int):
        customer = rng.random() < 0.5
        score = rng.choices(range(11), weights=[2, 1, 1, 2, 2, 3, 4, 8, 9, 9, 6])[0]
        if not customer or node in ("1", "34"):
            continue
        cost = round(1.0 + 0.2 * degree[node], 1)
        print(f"{node},{score},{cost}")


if __name__ == "__main__":
    main()
