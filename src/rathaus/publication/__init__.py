"""What domains and blocks offer for publication: the registry of automatic datasets
(producers), the small-count rule every published aggregate follows, and the signal a
change sends when it alters published figures. The publishing layer (opendata) reads
them; the apps that own the figures register here, never with opendata itself."""
