/** FShareChat conversation types (the same numbers as @fscpush/core's; kept here so the generator loads no server code). */
export const ConversationType = { PRIVATE: 0, GROUP: 1 } as const;
