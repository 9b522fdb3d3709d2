"""The instructor's tool for the backprop course: release, collect, grade, feedback, export, report."""
