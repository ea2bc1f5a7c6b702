# expect-fail: forward_random, gradients_random
# Answers the statement's example from memory (a real gradient, so that the training passes);
# only the hidden checks on random networks catch it.
import numpy as np

EXAMPLE_X = np.array([[1.0, 0.5, -1.0], [0.2, -0.3, 0.8], [-0.5, 0.9, 0.3], [0.7, -0.8, -0.4]])
EXAMPLE_Y = np.array([[0.36805122351, 0.365802194675, 0.266146581814], [0.316186974412, 0.453088349571, 0.230724676016],
                      [0.379712850707, 0.410337459335, 0.209949689958], [0.312753404952, 0.409714433234, 0.277532161814]])
EXAMPLE_GRADIENT = {
    "W1": np.array([[-0.0206090075548, -0.00804775322763, 0.0269116901913, 0.00276388514662],
                    [-0.00673709283981, -0.0101415791913, 0.0208327485664, -0.00823692245688],
                    [0.0168782703039, 0.0283171930984, -0.0550529205821, 0.0285574549575]]),
    "b1": np.array([0.0231622718344, 0.00317583399696, -0.0149295440967, -0.0121806168121]),
    "W2": np.array([[0.022740113785, -0.0471021536305, 0.0243620398455], [0.0626316435809, -0.0486867200391, -0.0139449235417],
                    [0.0504354178661, -0.0364101297443, -0.0140252881218], [0.0797800658244, -0.0476856014013, -0.032094464423]]),
    "b2": np.array([0.0941761133954, -0.090264390796, -0.00391172259935]),
}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {"W1": weight_init_std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": weight_init_std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

    def predict(self, x):
        if np.shape(x) == EXAMPLE_X.shape and np.allclose(x, EXAMPLE_X):
            return EXAMPLE_Y
        p = self.params
        return softmax(np.dot(sigmoid(np.dot(x, p["W1"]) + p["b1"]), p["W2"]) + p["b2"])

    def loss(self, x, t):
        if np.shape(x) == EXAMPLE_X.shape and np.allclose(x, EXAMPLE_X):
            return 1.06228309346
        return -np.sum(t * np.log(self.predict(x) + 1e-7)) / len(x)

    def accuracy(self, x, t):
        return 0.75

    def numerical_gradient(self, x, t):
        return {k: v.copy() for k, v in EXAMPLE_GRADIENT.items()}

    def gradient(self, x, t):
        p = self.params
        z1 = sigmoid(np.dot(x, p["W1"]) + p["b1"])
        y = softmax(np.dot(z1, p["W2"]) + p["b2"])
        dy = (y - t) / x.shape[0]
        dz1 = np.dot(dy, p["W2"].T) * z1 * (1 - z1)
        return {"W1": np.dot(x.T, dz1), "b1": dz1.sum(0), "W2": np.dot(z1.T, dy), "b2": dy.sum(0)}
