# The lesson's own loss functions (002): MSE as half the sum of squares, the mini-batch cross-entropy; MAE as the
# mean of |y - t| (000 describes it in words only).
import numpy as np


def mean_squared_error(y, t):
    return 0.5 * np.sum((y-t)**2)


#미니 배치
def cross_entropy_error(y, t):
    # 1차원 리스트인 경우 shape 바꿈
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size


def mean_absolute_error(y, t):
    return np.mean(np.abs(y - t))
