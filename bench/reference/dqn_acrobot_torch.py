"""PyTorch reference for dqn-acrobot: `python3 dqn_acrobot_torch.py [SEED] [TOTAL_STEPS] [options]`,
the same as `python3 dqn_torch.py acrobot ...` (see dqn_torch.py)."""
from dqn_torch import main

main("acrobot")
