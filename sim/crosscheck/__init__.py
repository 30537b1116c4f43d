"""Independent cross-check of footsim with a pymunk (Chipmunk2D) twin in the sagittal plane.

`twin`: the runner model rebuilt on pymunk's rigid-body engine; `twin_articulated`: the same with
the foot as hindfoot, forefoot and toes on hinges; `footsim_side`: footsim restricted to the
sagittal plane in its rigid limit (and the articulated foot in its planar limit); `cases`: the two side by side with agreement figures and
the reasons they differ; `plots`: pictures. `footsim crosscheck` prints the cases.
"""
