"""The network's answer beside the input: digit, probabilities, 28x28 input, steps, correction."""
