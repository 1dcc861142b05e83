print("parta")
