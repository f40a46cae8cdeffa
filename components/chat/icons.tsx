/** Small line icons in the text's colour; the control that holds one carries the label. */
function Icon({ children, size = 16 }: { children: React.ReactNode; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
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
