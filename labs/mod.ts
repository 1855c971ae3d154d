/**
 * The lab registry: id on the command line -> the module that runs it. Modules load lazily, so
 * starting one lab never imports the others.
 */
export interface LabModule {
  main(args: string[]): Promise<void>;
  lab: { id: string; title: string };
}

export const LABS: Record<string, () => Promise<LabModule>> = {
  "vae-mnist": () => import("./vae_mnist.ts"),
  "classifier-mnist": () => import("./classifier_mnist.ts"),
  "ae-mnist": () => import("./ae_mnist.ts"),
  "gan-mnist": () => import("./gan_mnist.ts"),
  "diffusion-mnist": () => import("./diffusion_mnist.ts"),
  "transfer-mnist": () => import("./transfer_mnist.ts"),
  "dqn-cartpole": () => import("./dqn_cartpole.ts"),
  "dqn-acrobot": () => import("./dqn_acrobot.ts"),
  "qlearning-frozenlake": () => import("./qlearning_frozenlake.ts"),
  "reinforce-cartpole": () => import("./reinforce_cartpole.ts"),
  "ppo-cartpole": () => import("./ppo_cartpole.ts"),
  "ppo-pendulum": () => import("./ppo_pendulum.ts"),
};
