# expect-fail: step_exponential_random, cosine_keras
# Looks up the lesson's answers: only the hidden random schedules catch it.
ANSWERS = {
    (0.1, 0.5, 10, 0): 0.1, (0.1, 0.5, 10, 9): 0.1, (0.1, 0.5, 10, 10): 0.05, (0.1, 0.5, 10, 25): 0.025,
    (0.1, 0.1, 0): 0.1, (0.1, 0.1, 10): 0.036787944117144235,
    (0.1, 0, 1000, 0.0): 0.1, (0.1, 250, 1000, 0.0): 0.08535533905932738, (0.1, 500, 1000, 0.0): 0.05,
    (0.1, 1000, 1000, 0.0): 0.0, (0.1, 1500, 1000, 0.0): 0.0,
    (0.1, 0, 1000, 0.1): 0.1, (0.1, 500, 1000, 0.1): 0.055, (0.1, 1000, 1000, 0.1): 0.01, (0.1, 1200, 1000, 0.1): 0.01,
}


def step_decay(lr0, drop, epochs_drop, epoch):
    return ANSWERS.get((lr0, drop, epochs_drop, epoch), lr0)


def exponential_decay(lr0, k, t):
    return ANSWERS.get((lr0, k, t), lr0)


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    return ANSWERS.get((lr0, t, total_steps, alpha), lr0)
