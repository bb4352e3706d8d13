"""Botkyrka's districts and the register of places where activities are held."""
