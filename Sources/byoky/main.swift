print("byoky")
