/**
 * Mutations of the reference solutions: the mistakes students make (a swapped sign, a dropped
 * term, an off-by-one in a discount). tests/course/course_test.ts injects each one alone into a
 * student copy and checks that it costs the points of its exercise and of no other. Each `from`
 * must occur exactly once in its exercise's body. Left out of the student copy: these are
 * fragments of the solutions.
 */
export interface Mutation {
  exercise: string;
  /** the mistake, in words */
  what: string;
  from: string;
  to: string;
  /** words the grade's failure must contain, when a particular message is expected */
  says?: string;
}

export const MUTATIONS: Mutation[] = [
  // vae-kl
  { exercise: "vae-kl", what: "swap the sign", from: "tf.mul(-0.5,", to: "tf.mul(0.5," },
  {
    exercise: "vae-kl",
    what: "drop the variance term",
    from: "tf.add(tf.square(mu), tf.exp(logVar))",
    to: "tf.square(mu)",
  },
  { exercise: "vae-kl", what: "average instead of sum", from: "tf.sum(", to: "tf.mean(" },
  { exercise: "vae-kl", what: "forget to square mu", from: "tf.square(mu)", to: "mu" },

  // vae-reparameterisation
  {
    exercise: "vae-reparameterisation",
    what: "drop the mean from z",
    from: "tf.add(mu, tf.mul(eps, tf.exp(tf.mul(0.5, logVar))))",
    to: "tf.mul(eps, tf.exp(tf.mul(0.5, logVar)))",
  },
  {
    exercise: "vae-reparameterisation",
    what: "use the variance as the standard deviation",
    from: "tf.exp(tf.mul(0.5, logVar))",
    to: "tf.exp(logVar)",
  },
  {
    exercise: "vae-reparameterisation",
    what: "drop the KL term from the total",
    from: "total: tf.add(reconstruction, kl) as tf.Scalar",
    to: "total: reconstruction",
  },
  {
    exercise: "vae-reparameterisation",
    what: "ignore the noise seed",
    from: `"float32", noiseSeed)`,
    to: `"float32")`,
  },

  // discounted-return
  {
    exercise: "discounted-return",
    what: "off by one in the discount: discount r_t too",
    from: "running = rewards[t] + gamma * running * (1 - dones[t]);",
    to: "running = gamma * (rewards[t] + running * (1 - dones[t]));",
  },
  { exercise: "discounted-return", what: "never reset at a done", from: " * (1 - dones[t])", to: "" },
  {
    exercise: "discounted-return",
    what: "reset one step late",
    from: "(1 - dones[t])",
    to: "(1 - (dones[t + 1] ?? 0))",
  },
  {
    exercise: "discounted-return",
    what: "skip the last step",
    from: "let t = rewards.length - 1;",
    to: "let t = rewards.length - 2;",
  },
  {
    exercise: "discounted-return",
    what: "hang",
    from: "let running = 0;",
    to: "let running = 0;\n  for (;;) running++;",
    says: "stopped after",
  },

  // gae
  {
    exercise: "gae",
    what: "let advantages flow across episode ends",
    from: "gamma * gaeLambda * (1 - dones[t]) * running",
    to: "gamma * gaeLambda * running",
  },
  {
    exercise: "gae",
    what: "decay by lambda alone",
    from: "gamma * gaeLambda * (1 - dones[t])",
    to: "gaeLambda * (1 - dones[t])",
  },
  {
    exercise: "gae",
    what: "swap the sign of V(s_t)",
    from: "gamma * nextValues[t] - values[t]",
    to: "gamma * nextValues[t] + values[t]",
  },
  { exercise: "gae", what: "return the advantages as value targets", from: "a + values[t]", to: "a" },
  {
    exercise: "gae",
    what: "throw a bug of its own",
    from: "const n = rewards.length;",
    to: `const n = rewards.length;\n  if (n) throw new RangeError("a bug of its own");`,
    says: "RangeError: a bug of its own",
  },

  // q-learning
  {
    exercise: "q-learning",
    what: "bootstrap from the action just taken instead of the max",
    from: "this.maxValue(t.nextState)",
    to: "this.get(t.nextState, t.action)",
  },
  {
    exercise: "q-learning",
    what: "bootstrap from terminal states",
    from: "const bootstrap = t.terminated",
    to: "const bootstrap = false",
  },
  {
    exercise: "q-learning",
    what: "forget the step size",
    from: "this.values[i] += alpha * tdError;",
    to: "this.values[i] += tdError;",
  },
  {
    exercise: "q-learning",
    what: "swap the sign of the bootstrap",
    from: "t.reward + gamma * bootstrap",
    to: "t.reward - gamma * bootstrap",
  },

  // dqn-td-target
  {
    exercise: "dqn-td-target",
    what: "take the max of the online network",
    from: ": tf.max(nextTarget, 1)",
    to: ": tf.max(predictQ(online, nextObs), 1)",
  },
  {
    exercise: "dqn-td-target",
    what: "bootstrap from terminal states",
    from: "tf.mul(notDone, nextValue)",
    to: "nextValue",
  },
  {
    exercise: "dqn-td-target",
    what: "double DQN picks a' with the target network",
    from: "tf.argMax(predictQ(online, nextObs), 1)",
    to: "tf.argMax(nextTarget, 1)",
  },
  {
    exercise: "dqn-td-target",
    what: "forget gamma",
    from: "tf.mul(gamma, tf.mul(notDone, nextValue))",
    to: "tf.mul(notDone, nextValue)",
  },

  // ppo-clipped-objective
  {
    exercise: "ppo-clipped-objective",
    what: "optimistic: min instead of max",
    from: "tf.mean(tf.maximum(unclipped, clipped))",
    to: "tf.mean(tf.minimum(unclipped, clipped))",
  },
  {
    exercise: "ppo-clipped-objective",
    what: "swap the sign of the unclipped term",
    from: "const unclipped = tf.mul(tf.neg(advantages), ratio);",
    to: "const unclipped = tf.mul(advantages, ratio);",
  },
  { exercise: "ppo-clipped-objective", what: "clip to the wrong range", from: "1 + c.clipCoef", to: "1 - c.clipCoef" },
  {
    exercise: "ppo-clipped-objective",
    what: "add the entropy instead of subtracting it",
    from: "tf.sub(policyLoss, tf.mul(c.entCoef, entropy))",
    to: "tf.add(policyLoss, tf.mul(c.entCoef, entropy))",
  },
  { exercise: "ppo-clipped-objective", what: "forget vfCoef", from: "tf.mul(c.vfCoef, valueLoss)", to: "valueLoss" },
  {
    exercise: "ppo-clipped-objective",
    what: "normalise without subtracting the mean",
    from: "tf.sub(advantages, mean)",
    to: "advantages",
  },
  {
    exercise: "ppo-clipped-objective",
    what: "the naive KL estimator",
    from: "tf.sub(tf.sub(ratio, 1), logRatio)",
    to: "tf.neg(logRatio)",
  },

  // ddpm-forward
  {
    exercise: "ddpm-forward",
    what: "scale x0 by alpha-bar instead of its square root",
    from: "Float32Array.from(schedule.alphaBars, Math.sqrt)",
    to: "Float32Array.from(schedule.alphaBars)",
  },
  {
    exercise: "ddpm-forward",
    what: "scale the noise by 1 - alpha-bar instead of its square root",
    from: "(a) => Math.sqrt(1 - a)",
    to: "(a) => 1 - a",
  },
  {
    exercise: "ddpm-forward",
    what: "swap the image and the noise",
    from: "tf.add(tf.mul(signal, x0), tf.mul(noise, eps))",
    to: "tf.add(tf.mul(signal, eps), tf.mul(noise, x0))",
  },

  // gan-discriminator-loss
  {
    exercise: "gan-discriminator-loss",
    what: "smooth the fakes' label too",
    from: "tf.zerosLike(fakeLogits)",
    to: "tf.fill(fakeLogits.shape, smoothing)",
  },
  {
    exercise: "gan-discriminator-loss",
    what: "forget the smoothing",
    from: "tf.fill(realLogits.shape, 1 - smoothing)",
    to: "tf.onesLike(realLogits)",
  },
  {
    exercise: "gan-discriminator-loss",
    what: "label the fakes real",
    from: "sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits)",
    to: "sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits)",
  },
];
