# Iris species from four flower measurements (cm): contract.yaml in Python. Written by ExampleModels.
import numpy as np

FIELDS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
MEAN = np.array([5.8433, 3.054, 3.7587, 1.1987])
STD = np.array([0.8253, 0.4321, 1.7585, 0.7606])
LABELS = ["setosa", "versicolor", "virginica"]


def preprocess(request):
    row = np.array([float(request[f]) for f in FIELDS])
    return {"features": ((row - MEAN) / STD)[np.newaxis, :]}


def postprocess(outputs, request):
    scores = outputs["scores"][0]
    e = np.exp(scores - scores.max())
    p = e / e.sum()
    return {"label": LABELS[int(p.argmax())], "probabilities": {k: float(v) for k, v in zip(LABELS, p)}}
