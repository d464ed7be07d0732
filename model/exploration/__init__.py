"""Exploratory modelling (MODEL.md section 8): futures sampled from what we do not know,
policies run in each, scenario discovery with PRIM, global sensitivity with SALib and
the robustness of the policies. See `model.exploration.experiment.explore`."""
