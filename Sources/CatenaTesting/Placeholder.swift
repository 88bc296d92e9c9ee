import Catena
