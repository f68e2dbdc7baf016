export const ROLES = ['instructor', 'ta', 'student'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	instructor: 'Instructor',
	ta: 'TA',
	student: 'Student'
};

/** Instructors and TAs run the course day to day. */
export const isStaff = (role: Role) => role === 'instructor' || role === 'ta';
