"""Motion-capture tracking: a recorded runner's foot poses drive the contact layer, and
the same trial's force plate checks it. markers -> poses -> drive -> compare; track.py runs them."""
