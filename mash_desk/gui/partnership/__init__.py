"""The Safeguarding Children Partnership's assurance tools: case audits, threshold exercises,
supervision and the quarterly pack."""
