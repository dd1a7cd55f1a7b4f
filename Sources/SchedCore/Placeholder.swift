// Placeholder until the config model lands.
