// this file forgot its plan
def x = 1
