import NMMCore
