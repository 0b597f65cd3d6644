"""Pure analysis functions: frames in, frames or series out, no I/O."""
