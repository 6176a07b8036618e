import NMMStages
print("nmm")
