print("loans")
