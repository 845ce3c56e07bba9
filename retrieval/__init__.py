"""Question in, cited passages out: search -> fuse -> answer -> render."""
