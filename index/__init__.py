"""Articles in, index out: parse -> drop site chrome -> passages with citations -> embed -> store."""
