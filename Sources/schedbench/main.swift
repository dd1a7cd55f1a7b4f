// Placeholder: benchmarks arrive with the engines they measure.
print("schedbench: not implemented yet")
