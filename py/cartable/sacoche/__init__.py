"""The SACoche file: its container (ZIP of one XML), the export, and the import (read, then
planned and applied)."""
