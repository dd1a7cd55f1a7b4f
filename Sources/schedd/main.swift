// Placeholder: the daemon's wiring arrives with the runtime.
print("schedd: not implemented yet")
