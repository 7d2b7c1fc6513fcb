/** The 97.5% quantile of the standard normal distribution (R: qnorm(0.975)). */
export const Z95 = 1.959963984540054;
