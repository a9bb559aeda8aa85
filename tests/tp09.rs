// Provisoire.
