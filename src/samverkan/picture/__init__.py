"""The local picture (EST, effektiv samordning för trygghet): place-bound incident
reports from many local actors, the weekly joint picture of an area on a map, and the
weekly meeting that acts on it. Incidents describe places and events, never people."""
