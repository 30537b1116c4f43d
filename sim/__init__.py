"""footsim: foot-ground contact simulation of plantar pressure and skin shear."""

__version__ = "0.1.0"
