print("catena")
