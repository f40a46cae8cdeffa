/** Small line icons in the text's colour; the control that holds one carries the label. */
function Icon({ children, size = 16, box = 16 }: { children: React.ReactNode; size?: number; box?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox={`0 0 ${box} ${box}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const LockIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <rect x="3.5" y="7" width="9" height="6.5" rx="1.5" />
    <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
  </Icon>
);

export const ComposeIcon = () => (
  <Icon size={18}>
    <path d="M7 2.5H3.5a1 1 0 0 0-1 1v9a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1V9" />
    <path d="M11.5 2.5l2 2L8 10l-2.5.5L6 8z" />
  </Icon>
);

export const PlusIcon = () => (
  <Icon>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);

export const DetailsIcon = () => (
  <Icon size={18}>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 7.5v3.5M8 5v.01" />
  </Icon>
);

export const PencilIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M10.5 2.5l3 3L6 13l-3.5.5L3 10z" />
    <path d="M9 4l3 3" />
  </Icon>
);

export const ThreadIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M2.5 4a1.5 1.5 0 0 1 1.5-1.5h8A1.5 1.5 0 0 1 13.5 4v5.5A1.5 1.5 0 0 1 12 11H7l-3 2.5V11a1.5 1.5 0 0 1-1.5-1.5z" />
    <path d="M5.5 5.5h5M5.5 8h3" />
  </Icon>
);

export const LinkIcon = () => (
  <Icon>
    <path d="M7 9a2.5 2.5 0 0 0 3.5 0l2-2A2.5 2.5 0 0 0 9 3.5l-.75.75" />
    <path d="M9 7a2.5 2.5 0 0 0-3.5 0l-2 2A2.5 2.5 0 0 0 7 12.5l.75-.75" />
  </Icon>
);

/** A smiley with a plus: add a reaction. */
export const ReactionIcon = ({ size }: { size?: number }) => (
  <Icon size={size} box={18}>
    <path d="M14.9 8.2A6.5 6.5 0 1 1 9.8 3.05" />
    <path d="M6 10.5c.7 1 1.7 1.5 2.75 1.5s2.05-.5 2.75-1.5" />
    <path d="M6.5 7.25h.01M11 7.25h.01" />
    <path d="M14.5 1.5v5M12 4h5" />
  </Icon>
);

export const TrashIcon = () => (
  <Icon>
    <path d="M2.5 4.5h11M6.5 4.5V3a1 1 0 0 1 1-1h1a1 1 0 0 1 1 1v1.5" />
    <path d="M4 4.5l.75 8.5a1 1 0 0 0 1 .9h4.5a1 1 0 0 0 1-.9L12 4.5M6.75 7v4.5M9.25 7v4.5" />
  </Icon>
);
