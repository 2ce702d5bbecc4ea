"""Understanding resident text: language detection (one seam, a registry of detectors)."""
